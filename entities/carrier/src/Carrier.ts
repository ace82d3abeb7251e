/**
 * The Carrier entity's protocol: one entity per FRN, holding the profile that
 * orders are filed for.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { CarrierProfile } from "@pw/domain/Carrier"
import { PrimaryKey, Schema } from "effect"
import { createHash } from "node:crypto"

/** Creates the carrier or updates its profile; the same profile twice changes nothing. */
export class RegisterCarrier extends Schema.Class<RegisterCarrier>("RegisterCarrier")({
  profile: CarrierProfile
}) {
  [PrimaryKey.symbol]() {
    const canonical = JSON.stringify(Schema.encodeSync(CarrierProfile)(this.profile))
    return `register:${createHash("sha256").update(canonical).digest("hex")}`
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
