import type { ModuleManifest } from '../../platform/http/types.js';
import { bookingsPersonalData } from './queries/personal-data.js';
import { isCitizen } from '../identity/index.js';
import { paymentFinishedTopic } from '../payments/index.js';
import { eraseForAccount, settlePayment } from './commands/bookings.js';
import { bookingRoutes } from './pages/booking/routes.js';
import { listRoutes } from './pages/list/routes.js';
import { resourceRoutes } from './pages/resource/routes.js';
import { resourceManagementRoutes } from './pages/resources/routes.js';
import { staffRoutes } from './pages/staff/routes.js';
import { yoursRoutes } from './pages/yours/routes.js';
import { isBodyStaff } from './policies/bookings.js';
import { bookingRetention } from './retention.js';

/**
 * Bookings: a body's halls, pitches, courses and appointments, booked a slot at a time, paid for
 * through the payments module, with a calendar file, cancellation with a full refund, and the
 * body's staff calendar. The database's slot counters make double booking impossible.
 */
export const bookingsModule: ModuleManifest = {
  name: 'bookings',
  navigation: [
    { text: 'bookings.nav.yours', href: '/bookings/yours', visibleTo: isCitizen },
    { text: 'bookings.nav.staff', href: '/staff/bookings', visibleTo: isBodyStaff },
  ],
  routes(app, context) {
    listRoutes(app, context);
    yoursRoutes(app, context);
    resourceRoutes(app, context);
    bookingRoutes(app, context);
    staffRoutes(app, context);
    resourceManagementRoutes(app, context);
  },
  outboxHandlers(context) {
    return {
      // Told by the payments module once a booking's payment has finished, however it ended.
      [paymentFinishedTopic('bookings')]: async (payload) => {
        const { paymentId, purposeId, status } = payload as {
          paymentId: string;
          purposeId: string;
          status: string;
        };
        await context.db
          .transaction()
          .execute((trx) =>
            settlePayment(trx, purposeId, paymentId, status, context.config.baseUrl),
          );
      },
    };
  },
  async onAccountEvent(trx, event) {
    if (event.type === 'deleted') await eraseForAccount(trx, event.userId);
  },
  retention: [bookingRetention],
  personalDataOf: bookingsPersonalData,
  personalData: [
    {
      table: 'bookings',
      description:
        'Your bookings of halls, pitches, courses and appointments: what, when, your name and e-mail address, and what you paid and were refunded',
      retention:
        '2 years after the booked time by default (each body may set its own), then deleted',
    },
  ],
};
