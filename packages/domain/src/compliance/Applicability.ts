/**
 * Which carriers an obligation applies to, as data: a predicate tree that
 * staff can edit as JSON.
 */
import { Schema } from "effect"
import { UsState } from "../UsState.ts"
import { CanadianProvince, type ComplianceProfile, ServiceCategory } from "./ComplianceProfile.ts"

/** A predicate over a carrier profile; `All`, `Any` and `Not` combine the others. */
export type Applicability =
  | { readonly _tag: "Always" }
  | { readonly _tag: "UsCarrier" }
  | { readonly _tag: "ServiceCategory"; readonly anyOf: ReadonlyArray<ServiceCategory> }
  | { readonly _tag: "DeMinimis" }
  | { readonly _tag: "CanadianCorporation"; readonly provinces?: ReadonlyArray<CanadianProvince> }
  | { readonly _tag: "RegisteredFor"; readonly tax: "gst-hst" | "pst" }
  | { readonly _tag: "HasEmployees" }
  | { readonly _tag: "CrtcRegistered" }
  | { readonly _tag: "InState"; readonly state: UsState }
  | { readonly _tag: "Not"; readonly predicate: Applicability }
  | { readonly _tag: "All"; readonly predicates: ReadonlyArray<Applicability> }
  | { readonly _tag: "Any"; readonly predicates: ReadonlyArray<Applicability> }

/** Schema of `Applicability`; its JSON form is the same object. */
export const Applicability: Schema.Schema<Applicability> = Schema.Union(
  Schema.TaggedStruct("Always", {}),
  Schema.TaggedStruct("UsCarrier", {}),
  Schema.TaggedStruct("ServiceCategory", { anyOf: Schema.Array(ServiceCategory) }),
  Schema.TaggedStruct("DeMinimis", {}),
  Schema.TaggedStruct("CanadianCorporation", { provinces: Schema.optionalWith(Schema.Array(CanadianProvince), { exact: true }) }),
  Schema.TaggedStruct("RegisteredFor", { tax: Schema.Literal("gst-hst", "pst") }),
  Schema.TaggedStruct("HasEmployees", {}),
  Schema.TaggedStruct("CrtcRegistered", {}),
  Schema.TaggedStruct("InState", { state: UsState }),
  Schema.TaggedStruct("Not", { predicate: Schema.suspend((): Schema.Schema<Applicability> => Applicability) }),
  Schema.TaggedStruct("All", { predicates: Schema.Array(Schema.suspend((): Schema.Schema<Applicability> => Applicability)) }),
  Schema.TaggedStruct("Any", { predicates: Schema.Array(Schema.suspend((): Schema.Schema<Applicability> => Applicability)) })
).annotations({ identifier: "Applicability" })

/** What a predicate is evaluated against: the profile and whether the carrier is de minimis this year. */
export interface ApplicabilityContext {
  readonly profile: ComplianceProfile
  readonly deMinimis: boolean
}

/** Evaluates `predicate` for one carrier. `UsCarrier` means the profile has an FRN. */
export const appliesTo = (predicate: Applicability, context: ApplicabilityContext): boolean => {
  const { profile } = context
  switch (predicate._tag) {
    case "Always":
      return true
    case "UsCarrier":
      return profile.frn !== undefined
    case "ServiceCategory":
      return predicate.anyOf.some((category) => profile.serviceCategories.includes(category))
    case "DeMinimis":
      return context.deMinimis
    case "CanadianCorporation": {
      const corporation = profile.canadianCorporation
      if (corporation === undefined) return false
      return predicate.provinces === undefined || predicate.provinces.includes(corporation.province)
    }
    case "RegisteredFor": {
      const corporation = profile.canadianCorporation
      const frequency = predicate.tax === "gst-hst" ? corporation?.gstHstFilingFrequency : corporation?.pstFilingFrequency
      return frequency !== undefined
    }
    case "HasEmployees":
      return profile.canadianCorporation?.hasEmployees === true
    case "CrtcRegistered":
      return profile.canadianCorporation?.crtcRegistered === true
    case "InState":
      return profile.usStates.some((presence) => presence.state === predicate.state)
    case "Not":
      return !appliesTo(predicate.predicate, context)
    case "All":
      return predicate.predicates.every((each) => appliesTo(each, context))
    case "Any":
      return predicate.predicates.some((each) => appliesTo(each, context))
  }
}
