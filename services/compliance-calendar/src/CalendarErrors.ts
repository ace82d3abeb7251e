/**
 * Typed failures of compliance profiles and calendar planning.
 */
import { Schema } from "effect"

/** No compliance profile is stored for the carrier. */
export class ProfileNotFound extends Schema.TaggedError<ProfileNotFound>()("ProfileNotFound", {
  carrierId: Schema.String
}) {
  override get message() {
    return `carrier ${this.carrierId} has no compliance profile: store one with PUT /v1/staff/carriers/${this.carrierId}/compliance-profile first`
  }
}

/** The profile does not fit the carrier it is stored for, such as an FRN that is not the carrier id. */
export class ProfileRejected extends Schema.TaggedError<ProfileRejected>()("ProfileRejected", {
  carrierId: Schema.String,
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `compliance profile of carrier ${this.carrierId} rejected, ${this.field}: ${this.reason}`
  }
}

/** The ComplianceEntry entity rejected a planned entry of the calendar. */
export class PlanRejected extends Schema.TaggedError<PlanRejected>()("PlanRejected", {
  carrierId: Schema.String,
  entryKey: Schema.String,
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `planning carrier ${this.carrierId} stopped at entry ${this.entryKey}, ${this.field}: ${this.reason}; correct the profile and plan again`
  }
}
