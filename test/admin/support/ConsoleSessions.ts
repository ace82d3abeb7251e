/**
 * The usual cast of a console test file: the server's base URL, an admin
 * and a reviewer account, each signed in over HTTP.
 */
import { Effect } from "effect"
import { baseUrl, createAdmin, createReviewer, reviewerPassword, totpNow } from "./AdminFixtures.ts"
import { signIn } from "./AdminHttp.ts"

/** Creates the admin and the reviewer `reviewer@example.com` and signs both in. */
export const signedInAdminAndReviewer = Effect.gen(function*() {
  const base = yield* baseUrl
  const adminAccount = yield* createAdmin
  const reviewerAccount = yield* createReviewer(adminAccount.id, "reviewer@example.com", "Rita Reviewer")
  const admin = yield* Effect.promise(() =>
    signIn(base, { email: adminAccount.email, password: adminAccount.password, totp: totpNow(adminAccount.totpSecret ?? "") }))
  const reviewer = yield* Effect.promise(() => signIn(base, { email: reviewerAccount.email, password: reviewerPassword }))
  return { base, adminAccount, reviewerAccount, admin, reviewer }
})
