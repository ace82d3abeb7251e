import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Template from "../src/Template.ts"

const renderSource = (source: string, values: Record<string, string>, escaping: Template.Escaping) =>
  Effect.flatMap(Effect.orDie(Template.parse("sample.txt", source)), (template) =>
    Template.render(template, values, escaping))

describe("Template", () => {
  it.effect("substitutes placeholders", () =>
    Effect.gen(function*() {
      const output = yield* renderSource("Order {{orderId}} for {{ name }}.", { orderId: "ord_1", name: "Acme" }, "text")
      expect(output).toBe("Order ord_1 for Acme.")
    }))

  it.effect("escapes values in HTML", () =>
    Effect.gen(function*() {
      const output = yield* renderSource("<p title=\"{{name}}\">{{name}}</p>", { name: "A&B <x> \"q\" 'a'" }, "html")
      expect(output).toBe(
        "<p title=\"A&amp;B &lt;x&gt; &quot;q&quot; &#39;a&#39;\">A&amp;B &lt;x&gt; &quot;q&quot; &#39;a&#39;</p>"
      )
    }))

  it.effect("keeps text values unescaped", () =>
    Effect.gen(function*() {
      const output = yield* renderSource("{{name}}", { name: "Ridge & Valley <ops>" }, "text")
      expect(output).toBe("Ridge & Valley <ops>")
    }))

  it.effect("inserts braces in values literally", () =>
    Effect.gen(function*() {
      const output = yield* renderSource("{{a}}", { a: "{{b}}", b: "no" }, "text")
      expect(output).toBe("{{b}}")
    }))

  it.effect("accepts an empty value", () =>
    Effect.gen(function*() {
      const output = yield* renderSource("[{{a}}]", { a: "" }, "text")
      expect(output).toBe("[]")
    }))

  it.effect("missing value names placeholder", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(renderSource("{{a}} {{b}} {{b}} {{c}}", { a: "1" }, "html"))
      expect(error._tag).toBe("MissingTemplateValue")
      expect(error.template).toBe("sample.txt")
      expect(error.placeholders).toEqual(["b", "c"])
      expect(error.message).toContain("{{b}}, {{c}}")
    }))

  it.effect("ignores inherited properties", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(renderSource("{{toString}}", {}, "text"))
      expect(error.placeholders).toEqual(["toString"])
    }))

  it.effect("rejects malformed placeholder", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Template.parse("bad.html", "Hello {{ order id }}"))
      expect(error._tag).toBe("TemplateSyntaxError")
      expect(error.message).toContain("{{ order id }}")
    }))

  it.effect("rejects stray braces", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Template.parse("bad.txt", "Hello {{name"))
      expect(error._tag).toBe("TemplateSyntaxError")
      expect(error.template).toBe("bad.txt")
    }))
})
