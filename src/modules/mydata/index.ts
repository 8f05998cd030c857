/**
 * The mydata module: a person's "My data" page and exports, the access log of staff reads, and
 * subject access requests to public bodies. Other modules import only from here.
 */
export { mydataModule } from './module.js';
/** CSV as every export should write it: quoted, and safe from formula injection. */
export { csvCell, toCsv } from './export/csv.js';
/** The statutory one calendar month (and extensions) of a subject access request. */
export { dueDate } from './due-date.js';
