/**
 * Failures of staff account management: invalid input, missing accounts and
 * actions the acting staff member may not take.
 */
import { Schema } from "effect"

/** An e-mail address that is not of the form name@domain.tld or is longer than 254 characters. */
export class InvalidEmail extends Schema.TaggedError<InvalidEmail>()("InvalidEmail", {
  email: Schema.String,
  message: Schema.String
}) {}

/** An empty display name, or one longer than 200 characters. */
export class InvalidName extends Schema.TaggedError<InvalidName>()("InvalidName", {
  message: Schema.String
}) {}

/** Another account already has this e-mail address. */
export class EmailTaken extends Schema.TaggedError<EmailTaken>()("EmailTaken", {
  email: Schema.String,
  message: Schema.String
}) {}

/** No staff account has this id or e-mail. */
export class AccountNotFound extends Schema.TaggedError<AccountNotFound>()("AccountNotFound", {
  account: Schema.String,
  message: Schema.String
}) {}

/** The acting staff member is unknown, disabled, or their role may not take the action. */
export class NotPermitted extends Schema.TaggedError<NotPermitted>()("NotPermitted", {
  actorId: Schema.String,
  action: Schema.String,
  message: Schema.String
}) {}

/** `create-admin` found an admin account already; admins create further accounts in the console. */
export class AdminExists extends Schema.TaggedError<AdminExists>()("AdminExists", {
  message: Schema.String
}) {}
