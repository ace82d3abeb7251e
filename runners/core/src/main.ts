/**
 * Runs a runner process of the `default` shard group: the Order, Carrier and
 * ComplianceEntry entities and the service workflows. Needs `DATABASE_URL` shared with the
 * other processes of the cluster.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Logging from "@pw/runtime/Logging"
import { CarrierLive } from "@pw/carrier/CarrierLive"
import { ComplianceEntryRulesLive } from "@pw/compliance-calendar/ComplianceEntryRulesLive"
import { CpniCertificationLive } from "@pw/cpni-certification/CpniCertificationLive"
import * as Database from "@pw/db/Database"
import { FulfilmentLive } from "@pw/fulfilment/FulfilmentLive"
import { OrderLive } from "@pw/order/OrderLive"
import * as SocketCluster from "@pw/runtime/SocketCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import { Mailer } from "@pw/mail/Mailer"
import * as IssuingTopUp from "@pw/payments/IssuingTopUp"
import * as Payments from "@pw/payments/Payments"
import * as OutboxDispatcher from "@pw/mail/OutboxDispatcher"
import { Effect, Layer } from "effect"

const CoreLive = Layer.mergeAll(
  OrderLive.pipe(
    Layer.provide(FulfilmentLive),
    Layer.provide(EmailTemplates.layer),
    Layer.provide(IssuingTopUp.layer.pipe(Layer.provide(Payments.layer)))
  ),
  OutboxDispatcher.layer.pipe(Layer.provide(Mailer.layer)),
  CarrierLive,
  ComplianceEntryRulesLive,
  CpniCertificationLive
).pipe(
  Layer.provide(SocketCluster.runnerLayer(["default"])),
  Layer.provide(ObjectStore.layer),
  Layer.provide(Database.layer())
)

NodeRuntime.runMain(Layer.launch(CoreLive).pipe(Effect.provide(Logging.layer)), { disablePrettyLogger: true })
