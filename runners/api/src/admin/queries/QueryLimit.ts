/**
 * The row limit of the console's list queries.
 */

/** Rows a list returns when the caller gives no limit. */
export const defaultLimit = 100

/** Most rows a list returns, whatever the caller asks for. */
export const maximumLimit = 1000

/**
 * Returns `limit` rounded down and clamped to 1..{@link maximumLimit}, or
 * {@link defaultLimit} when it is absent or not a finite number.
 */
export const clampLimit = (limit: number | undefined): number =>
  limit === undefined || !Number.isFinite(limit) ? defaultLimit : Math.min(maximumLimit, Math.max(1, Math.floor(limit)))
