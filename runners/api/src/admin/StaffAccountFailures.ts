/**
 * HTTP statuses of the failures of staff account and API key management,
 * for the console pages that show them as a notice.
 */

const statuses: Readonly<Record<string, number>> = {
  InvalidEmail: 400,
  InvalidName: 400,
  InvalidLabel: 400,
  NotPermitted: 403,
  AccountNotFound: 404,
  ApiKeyNotFound: 404,
  EmailTaken: 409
}

/** Returns the status of a failure with `_tag`: 400 for bad input, 403, 404 or 409, and 400 for any other tag. */
export const failureStatus = (failure: { readonly _tag: string }): number => statuses[failure._tag] ?? 400

/** Returns `message` with its first letter in upper case, to show a package's failure message as a sentence. */
export const asSentence = (message: string): string => message.charAt(0).toUpperCase() + message.slice(1)
