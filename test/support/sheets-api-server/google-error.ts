/**
 * Errors in the shape Google APIs send them, `{error: {code, message, status, details?}}`, so
 * that the googleapis client raises a GaxiosError with `status`, `code` and `message` exactly as
 * it does against sheets.googleapis.com. A body Google could not parse carries a
 * `google.rpc.BadRequest` detail with one field violation per problem, as Google's answers do
 * (googleapis/google-api-python-client#930: `{'fieldViolations': [{'field': 'requests[0]',
 * 'description': 'Invalid JSON payload received. Unknown name ...'}], '@type':
 * 'type.googleapis.com/google.rpc.BadRequest'}`).
 */

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** one problem in a request body; `field` is left out for the body itself, as proto3 JSON leaves out an empty string */
export interface FieldViolation {
  field?: string;
  description: string;
}

export interface BadRequestDetail {
  '@type': 'type.googleapis.com/google.rpc.BadRequest';
  fieldViolations: FieldViolation[];
}

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: BadRequestDetail[] };
}

export class SheetsApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details?: BadRequestDetail[],
  ) {
    super(message);
    this.name = 'SheetsApiError';
  }

  get status(): string {
    return statusName(this.code);
  }

  toBody(): GoogleErrorBody {
    const error: GoogleErrorBody['error'] = { code: this.code, message: this.message, status: this.status };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** a 400 for a body Google could not parse: the violations' descriptions joined by newlines, as Google joins them */
export function invalidPayload(violations: FieldViolation[]): SheetsApiError {
  return new SheetsApiError(400, violations.map((v) => v.description).join('\n'), [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }]);
}

export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

export const badRequest = (message: string): SheetsApiError => new SheetsApiError(400, message);
export const notFound = (): SheetsApiError => new SheetsApiError(404, 'Requested entity was not found.');

/** the message Google sends for an injected fault of that status */
export function faultMessage(code: number): string {
  if (code === 429) return "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com'.";
  if (code === 503) return 'The service is currently unavailable.';
  if (code >= 500) return 'Internal error encountered.';
  return `Injected fault ${code}.`;
}
