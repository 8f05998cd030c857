import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/http/types.js';
import { acceptUploads } from '../../attachments/index.js';
import { businessRoutes } from './business/routes.js';
import { checkAnswersRoutes } from './check-answers/routes.js';
import { questionRoutes } from './question/routes.js';
import { repeatRoutes } from './repeat/routes.js';
import { saveRoutes } from './save/routes.js';
import { journeySupport } from './support.js';

/**
 * The application journey of a service's form, `/services/:slug/apply/…`: its pages in order
 * (skipping those whose conditions do not hold), "add another" lists, "Check your answers", a
 * declaration, then sending. A state machine with one guard: nobody reaches a page (or the
 * check page) before answering every page asked before it (see journey.ts).
 *
 * Who applies: a signed-in person (their draft is saved as they go); an agent acting for a
 * client (every request checks `canActFor`, the draft and the application are the client's,
 * and each page carries whom it was shown for, so a page answered after the acting ended is
 * refused); or, for a service that needs no account, someone not signed in, whose draft is
 * found by the secret in their cookie and who can e-mail themselves a link to come back.
 */
export async function journeyRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const support = journeySupport(context);
  businessRoutes(app, support, context);
  checkAnswersRoutes(app, support, context);
  saveRoutes(app, support, context);
  // Question pages take a file upload on the pages that ask for one (multipart, streamed).
  await app.register(async (scope) => {
    try {
      await acceptUploads(scope);
    } catch (error) {
      context.logger.warn(
        { err: error },
        'file questions cannot take uploads: attachments is not running',
      );
    }
    const repeat = repeatRoutes(scope, support);
    questionRoutes(scope, support, repeat, context);
  });
}
