/**
 * The bookings module: bookable halls, pitches, courses and appointments of each body, booked and
 * paid for by people and managed by the body's staff. Other modules import only from here.
 */
export { bookingsModule } from './module.js';
export { seedDemoBookings } from './demo.js';
