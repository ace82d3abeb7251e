/**
 * Authentication of customers (the order's access token, as a bearer token)
 * and of staff (a shared staff API key).
 */
import { HttpApiMiddleware, HttpApiSecurity } from "@effect/platform"
import { Context, type Redacted } from "effect"
import { Unauthorized } from "./ApiErrors.ts"

/** The bearer token the customer presented; handlers compare it with the order's. */
export class PresentedAccessToken extends Context.Tag("@pw/api/PresentedAccessToken")<
  PresentedAccessToken,
  Redacted.Redacted<string>
>() {}

/** Requires `Authorization: Bearer <access token>` on customer endpoints. */
export class CustomerAuth extends HttpApiMiddleware.Tag<CustomerAuth>()("CustomerAuth", {
  failure: Unauthorized,
  provides: PresentedAccessToken,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

/** The staff member a request acts as: the name actions are recorded under, and the role that decides what is allowed. */
export class StaffMember extends Context.Tag("@pw/api/StaffMember")<StaffMember, {
  readonly name: string
  readonly role: "admin" | "reviewer" | "finance"
}>() {}

/** Requires the `X-Staff-Key` header on staff endpoints. */
export class StaffAuth extends HttpApiMiddleware.Tag<StaffAuth>()("StaffAuth", {
  failure: Unauthorized,
  provides: StaffMember,
  security: { staffKey: HttpApiSecurity.apiKey({ key: "X-Staff-Key", in: "header" }) }
}) {}
