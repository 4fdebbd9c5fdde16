/** The error fields stored for FAILED runs. */
export function errorFields(error: unknown): {
  errorType: string;
  errorMessage: string;
  errorStack: string | null;
} {
  if (error instanceof Error)
    return { errorType: error.name || 'Error', errorMessage: error.message, errorStack: error.stack ?? null };
  return { errorType: typeof error, errorMessage: String(error), errorStack: null };
}
