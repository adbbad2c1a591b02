/**
 * Errors in the shape Google APIs send them, `{error: {code, message, status}}`, so that the
 * googleapis client raises a GaxiosError with `status`, `code` and `message` exactly as it
 * does against sheets.googleapis.com.
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

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string };
}

export class SheetsApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'SheetsApiError';
  }

  get status(): string {
    return statusName(this.code);
  }

  toBody(): GoogleErrorBody {
    return { error: { code: this.code, message: this.message, status: this.status } };
  }
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
