/**
 * The casework calendar: working days in England and Wales (bank holidays built in), time limits
 * in working days ending at the close of a London day, clock pauses, and how a case stands
 * against its limit. Pure functions, no database: the workflow engine, the queues and the
 * deadline jobs all count days the same way.
 */
export {
  addWorkingDays,
  dueAfterPause,
  DUE_SOON_WORKING_DAYS,
  isWorkingDay,
  slaRisk,
  workingDaysBetween,
  type SlaRisk,
} from './working-days.js';
export {
  ANNOUNCED_CHANGES,
  bankHolidays,
  type BankHoliday,
  type HolidayChange,
} from './bank-holidays.js';
