/**
 * The embedded platform: PostgreSQL, object storage, the cluster hosting every
 * shard group, the service workflows and the HTTP API, in one process.
 */
import { CarrierLive } from "@pw/carrier/CarrierLive"
import { ComplianceEntryRulesLive } from "@pw/compliance-calendar/ComplianceEntryRulesLive"
import { CpniCertificationLive } from "@pw/cpni-certification/CpniCertificationLive"
import * as Database from "@pw/db/Database"
import { DocumentConverterRunnerLive } from "@pw/document-converter/DocumentConverterLive"
import * as FccSampleData from "@pw/fcc-data/SampleData"
import { FulfilmentLive } from "@pw/fulfilment/FulfilmentLive"
import { OrderLive } from "@pw/order/OrderLive"
import * as ClusterRetention from "@pw/runtime/ClusterRetention"
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import * as HttpServer from "@pw/api-runner/HttpServer"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import { Mailer } from "@pw/mail/Mailer"
import * as IssuingTopUp from "@pw/payments/IssuingTopUp"
import * as Payments from "@pw/payments/Payments"
import * as OutboxDispatcher from "@pw/mail/OutboxDispatcher"
import { Layer } from "effect"

/**
 * Entities and workflows of the `default` and `docserver` shard groups, the
 * e-mail outbox's sender, the cluster message retention job, and the FCC
 * sample data.
 */
export const EntitiesLive = Layer.mergeAll(
  OrderLive.pipe(
    Layer.provide(FulfilmentLive),
    Layer.provide(EmailTemplates.layer),
    Layer.provide(IssuingTopUp.layer.pipe(Layer.provide(Payments.layer)))
  ),
  OutboxDispatcher.layer.pipe(Layer.provide(Mailer.layer)),
  CarrierLive,
  ComplianceEntryRulesLive,
  DocumentConverterRunnerLive,
  CpniCertificationLive,
  ClusterRetention.layer,
  FccSampleData.layer
)

/** Everything but the infrastructure: entities, workflows and the HTTP API over a cluster. */
export const ApplicationLive = Layer.mergeAll(EntitiesLive, HttpServer.layer).pipe(
  Layer.provideMerge(SingleProcessCluster.layer())
)

/** The whole platform on its embedded or configured PostgreSQL and object store. */
export const PlatformLive = ApplicationLive.pipe(
  Layer.provide(ObjectStore.layer),
  Layer.provide(Database.layer())
)
