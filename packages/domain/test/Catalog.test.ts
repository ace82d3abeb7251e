import { describe, expect, it } from "@effect/vitest"
import { findService, PriceModel, services } from "@pw/domain/Catalog"
import { Schema } from "effect"

describe("Catalog", () => {
  it("has unique slugs", () => {
    const slugs = services.map((service) => service.slug)

    expect(new Set(slugs).size).toBe(slugs.length)
  })

  it("prices cpni-certification at 14 900", () => {
    expect(findService("cpni-certification")?.price).toEqual({ _tag: "Flat", amount: 14_900 })
  })

  it.each(services.map((service) => [service.slug, service] as const))("prices %s", (_slug, service) => {
    expect(Schema.is(PriceModel)(service.price)).toBe(true)
  })

  it("finds every listed slug", () => {
    for (const service of services) {
      expect(findService(service.slug)).toBe(service)
    }
  })

  it("returns undefined for unknown slug", () => {
    expect(findService("fcc-499z")).toBeUndefined()
  })
})
