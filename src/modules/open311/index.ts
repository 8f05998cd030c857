/**
 * The open311 module: reporting local problems — Open311 GeoReport v2 at /open311/v2, the
 * "Report a problem" journey and the public list of open reports. Other modules (and
 * src/main) import only from here.
 */
export { open311Module } from './module.js';
/** `joinedup api-key:create --org <GSS code or slug> --scope open311`. */
export { apiKeyCreate } from './commands/cli.js';
/** The problems people can report: the Open311 service codes (catalogue service keys). */
export { REPORTABLE_PROBLEMS, reportableProblem, type ReportableProblem } from './codes.js';
