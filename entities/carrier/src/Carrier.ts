/**
 * The Carrier entity's protocol: one entity per FRN, holding the profile that
 * orders are filed for.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { CarrierProfile } from "@pw/domain/Carrier"
import { PrimaryKey, Schema } from "effect"

/**
 * Creates the carrier or updates its profile. `requestId` names the request
 * (the order that carried the profile); a profile equal to the stored one
 * changes nothing.
 */
export class RegisterCarrier extends Schema.Class<RegisterCarrier>("RegisterCarrier")({
  profile: CarrierProfile,
  requestId: Schema.String
}) {
  [PrimaryKey.symbol]() {
    return `register:${this.requestId}`
  }
}

/** No carrier has this FRN. */
export class CarrierNotFound extends Schema.TaggedError<CarrierNotFound>()("CarrierNotFound", {
  frn: Schema.String
}) {
  override get message() {
    return `carrier with FRN ${this.frn} not found`
  }
}

/** The Carrier entity type, in the `default` shard group; the entity id is the FRN. */
export const Carrier = Entity.make("Carrier", [
  Rpc.make("Register", { payload: RegisterCarrier, success: CarrierProfile }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Get", { success: CarrierProfile, error: CarrierNotFound })
])
