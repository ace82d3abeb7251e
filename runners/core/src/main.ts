/**
 * Runs a runner process of the `default` shard group: the Order, Carrier and
 * ComplianceEntry entities, the service workflows and the cluster's scheduled jobs. Needs
 * `DATABASE_URL` shared with the other processes of the cluster.
 */
import { CarrierLive } from "@pw/carrier/CarrierLive"
import { ComplianceEntryRulesLive } from "@pw/compliance-calendar/ComplianceEntryRulesLive"
import { CpniCertificationLive } from "@pw/cpni-certification/CpniCertificationLive"
import { FulfilmentLive } from "@pw/fulfilment/FulfilmentLive"
import { OrderLive } from "@pw/order/OrderLive"
import * as ClusterRetention from "@pw/runtime/ClusterRetention"
import * as RunnerProgram from "@pw/runtime/RunnerProgram"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import { Mailer } from "@pw/mail/Mailer"
import * as IssuingTopUp from "@pw/payments/IssuingTopUp"
import * as Payments from "@pw/payments/Payments"
import * as OutboxDispatcher from "@pw/mail/OutboxDispatcher"
import { Layer } from "effect"

const CoreLive = Layer.mergeAll(
  OrderLive.pipe(
    Layer.provide(FulfilmentLive),
    Layer.provide(EmailTemplates.layer),
    Layer.provide(IssuingTopUp.layer.pipe(Layer.provide(Payments.layer)))
  ),
  OutboxDispatcher.layer.pipe(Layer.provide(Mailer.layer)),
  CarrierLive,
  ComplianceEntryRulesLive,
  CpniCertificationLive,
  ClusterRetention.layer
).pipe(
  Layer.provide(ObjectStore.layer)
)

RunnerProgram.runMain({ name: "core", groups: ["default"], opsPort: 9464 }, CoreLive)
