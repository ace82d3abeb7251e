/**
 * The ComplianceEntry entity as the runners host it: cluster messaging, the
 * e-mail templates, and the next period from the compliance rules.
 */
import { ComplianceEntryLive } from "@pw/compliance-entry/ComplianceEntryLive"
import { EntryMessenger } from "@pw/compliance-entry/EntryMessenger"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import { Layer } from "effect"
import { ComplianceProfileStore } from "./ComplianceProfileStore.ts"
import * as RulesNextPeriod from "./RulesNextPeriod.ts"

/** The entity's handlers with {@link RulesNextPeriod.layer}. Needs Sharding and PostgreSQL. */
export const ComplianceEntryRulesLive = ComplianceEntryLive.pipe(
  Layer.provide(EntryMessenger.layer),
  Layer.provide(RulesNextPeriod.layer),
  Layer.provide(ComplianceProfileStore.layer),
  Layer.provide(EmailTemplates.layer)
)
