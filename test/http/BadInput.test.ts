/**
 * Bad requests against the HTTP API of the whole application, run in this
 * process on a fresh embedded PostgreSQL. Every rejection must come back as
 * a 4xx with the uniform body `{ _tag, message, field? }` and must leave the
 * domain tables as they were: no new rows before an order exists, and no
 * change to the order a request was aimed at.
 */
import { CreatedOrder, CustomerOrder } from "@pw/api/Api"
import { downloadSignature } from "@pw/api-runner/Credentials"
import { HttpConfig } from "@pw/api-runner/HttpServer"
import { CarrierProfile } from "@pw/domain/Carrier"
import { CpniCertificationFacts } from "@pw/domain/CpniCertification"
import { OrderItem } from "@pw/domain/Quote"
import { ConfigProvider, Effect, Either, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { otelcoOrder } from "../support/Customer.ts"
import * as Platform from "../support/InProcessPlatform.ts"
import { eventually } from "../support/PlatformProcess.ts"

/** The uniform error body; `issues` and other extra keys are allowed. */
const ErrorBody = Schema.Struct({
  _tag: Schema.String,
  message: Schema.String,
  field: Schema.optional(Schema.String)
})
const decodeErrorBody = Schema.decodeUnknownSync(ErrorBody)
const decodeCreated = Schema.decodeUnknownSync(CreatedOrder)
const decodeOrder = Schema.decodeUnknownSync(CustomerOrder)

/** The Otelco CPNI order of `test/data`, as JSON values. */
const otelco = Schema.decodeUnknownSync(Schema.Struct({
  carrier: Schema.encodedSchema(CarrierProfile),
  items: Schema.Array(Schema.encodedSchema(OrderItem)),
  paymentMethod: Schema.String,
  cpniCertification: Schema.encodedSchema(CpniCertificationFacts)
}))(otelcoOrder)

let app: Platform.InProcessPlatform

beforeAll(async () => {
  app = await Platform.start()
})

afterAll(async () => {
  await app?.dispose()
})

interface Reply {
  readonly status: number
  readonly body: unknown
}

const send = async (
  method: "GET" | "POST",
  path: string,
  options: { readonly body?: string; readonly headers?: Readonly<Record<string, string>> } = {}
): Promise<Reply> => {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body })
  })
  const text = await response.text()
  const body: unknown = response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text
  return { status: response.status, body }
}

const postOrder = (body: unknown, headers: Readonly<Record<string, string>> = {}) =>
  send("POST", "/v1/orders", { body: JSON.stringify(body), headers })

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

interface ExpectedError {
  readonly status: number
  readonly tag: string
  /** Text the message must contain: the rejected value, field or state. */
  readonly mentions: string
  /** The field at fault; `undefined` where the body names none. */
  readonly field?: string | undefined
}

const expectError = (reply: Reply, expected: ExpectedError) => {
  expect(reply.status).toBe(expected.status)
  const body = decodeErrorBody(reply.body)
  expect(body._tag).toBe(expected.tag)
  expect(body.message).toContain(expected.mentions)
  if (expected.field !== undefined) expect(body.field).toBe(expected.field)
}

/** Runs `request` and checks the domain tables have the same row counts after it. */
const expectNoNewRows = async (request: () => Promise<unknown>) => {
  const before = await app.run(Platform.domainRowCounts)
  await request()
  expect(await app.run(Platform.domainRowCounts)).toEqual(before)
}

/** Runs `request` and checks the order, its dependent rows and every table count are unchanged. */
const expectOrderUnchanged = async (orderId: string, request: () => Promise<unknown>) => {
  const before = await app.run(Platform.orderRows(orderId))
  await expectNoNewRows(request)
  expect(await app.run(Platform.orderRows(orderId))).toEqual(before)
}

let lastFrn = 9_100_000_000
/** A carrier whose FRN no request has used yet, so registering it would add a row. */
const newCarrier = () => ({ ...otelco.carrier, frn: String(++lastFrn) })

describe("HttpConfig", () => {
  it("accepts PW_HTTP_PORT=0", async () => {
    const config = await Effect.runPromise(Effect.either(HttpConfig).pipe(
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PW_HTTP_PORT", "0"]])))
    ))
    expect(Either.map(config, ({ port }) => port)).toEqual(Either.right(0))
  })
})

describe("POST /v1/orders", () => {
  const malformedJson = "{\"carrier\": {\"frn\": "

  it("rejects malformed JSON", async () => {
    const reply = await send("POST", "/v1/orders", { body: malformedJson })
    expectError(reply, { status: 400, tag: "BadRequest", mentions: "JSON" })
  })

  it("writes nothing for malformed JSON", async () => {
    await expectNoNewRows(() => send("POST", "/v1/orders", { body: malformedJson }))
  })

  type Carrier = ReturnType<typeof newCarrier>
  interface InvalidOrder {
    readonly name: string
    readonly order: (carrier: Carrier) => unknown
    readonly field: string
    readonly mentions: string
  }

  const { officerName: _officerName, ...factsWithoutOfficer } = otelco.cpniCertification
  const perStateItem = (quantity: number) => (carrier: Carrier) => ({
    carrier,
    items: [{ service: "foreign-qualification-single", state: "WY", quantity }],
    paymentMethod: "ach"
  })

  /** Requests the schema rejects before the Order entity receives them. */
  const rejectedBySchema: ReadonlyArray<InvalidOrder> = [
    {
      name: "a nine-digit FRN",
      order: (carrier) => ({ ...otelco, carrier: { ...carrier, frn: "001853851" } }),
      field: "carrier.frn",
      mentions: "001853851"
    },
    {
      name: "an FRN with letters",
      order: (carrier) => ({ ...otelco, carrier: { ...carrier, frn: "00185385AB" } }),
      field: "carrier.frn",
      mentions: "00185385AB"
    },
    {
      name: "an FRN as number",
      order: (carrier) => ({ ...otelco, carrier: { ...carrier, frn: 18538512 } }),
      field: "carrier.frn",
      mentions: "18538512"
    },
    { name: "quantity 0", order: perStateItem(0), field: "items[0].quantity", mentions: "quantity" },
    { name: "quantity -2", order: perStateItem(-2), field: "items[0].quantity", mentions: "quantity" },
    {
      name: "a missing officerName",
      order: (carrier) => ({ ...otelco, carrier, cpniCertification: factsWithoutOfficer }),
      field: "cpniCertification.officerName",
      mentions: "officerName"
    },
    {
      name: "empty items",
      order: (carrier) => ({ ...otelco, carrier, items: [] }),
      field: "items",
      mentions: "items"
    },
    {
      name: "an unknown paymentMethod",
      order: (carrier) => ({ ...otelco, carrier, paymentMethod: "cheque" }),
      field: "paymentMethod",
      mentions: "cheque"
    }
  ]

  /** Requests that pass the schema and that the Order entity rejects when pricing or checking facts. */
  const rejectedByOrder: ReadonlyArray<InvalidOrder> = [
    {
      name: "an unknown service slug",
      order: (carrier) => ({ ...otelco, carrier, items: [{ service: "cpni-certificate" }] }),
      field: "items[0].service",
      mentions: "cpni-certificate"
    },
    {
      name: "a quoted service",
      order: (carrier) => ({ ...otelco, carrier, items: [{ service: "crtc-registration" }] }),
      field: "items[0].service",
      mentions: "crtc-registration"
    },
    {
      name: "missing cpniCertification",
      order: (carrier) => ({ carrier, items: otelco.items, paymentMethod: otelco.paymentMethod }),
      field: "cpniCertification",
      mentions: "cpniCertification"
    },
    {
      name: "a future calendarYear",
      order: (carrier) => ({ ...otelco, carrier, cpniCertification: { ...otelco.cpniCertification, calendarYear: 2099 } }),
      field: "cpniCertification.calendarYear",
      mentions: "2099"
    }
  ]

  it.each([...rejectedBySchema, ...rejectedByOrder])("rejects $name", async ({ order, field, mentions }) => {
    const reply = await postOrder(order(newCarrier()))
    expectError(reply, { status: 400, tag: "BadRequest", field, mentions })
  })

  it.each(rejectedBySchema)("writes nothing for $name", async ({ order }) => {
    await expectNoNewRows(() => postOrder(order(newCarrier())))
  })

  // The carrier is registered only once the Order entity accepts the order.
  it.each(rejectedByOrder)("writes nothing for $name", async ({ order }) => {
    await expectNoNewRows(() => postOrder(order(newCarrier())))
  })
})

describe("an unpaid order", () => {
  const idempotencyKey = "http-bad-input-unpaid"
  let orderId: string
  let accessToken: string

  beforeAll(async () => {
    const reply = await postOrder(otelco, { "idempotency-key": idempotencyKey })
    expect(reply.status).toBe(201)
    const created = decodeCreated(reply.body)
    orderId = created.order.id
    accessToken = created.accessToken
  })

  const unknownOrderId = "ord_aaaaaaaaaaaaaaaaaaaa"
  const customerCalls = [
    { name: "GET order", method: "GET", path: (id: string) => `/v1/orders/${id}` },
    { name: "POST checkout", method: "POST", path: (id: string) => `/v1/orders/${id}/checkout` },
    { name: "POST cancel", method: "POST", path: (id: string) => `/v1/orders/${id}/cancel` }
  ] as const

  it.each(customerCalls)("$name of unknown id is 404", async ({ method, path }) => {
    await expectNoNewRows(async () => {
      const reply = await send(method, path(unknownOrderId), { headers: bearer(accessToken) })
      expectError(reply, { status: 404, tag: "NotFound", field: "orderId", mentions: unknownOrderId })
    })
  })

  it("staff approve of unknown id is 404", async () => {
    await expectNoNewRows(async () => {
      const reply = await send("POST", `/v1/staff/orders/${unknownOrderId}/approve`, {
        headers: { "x-staff-key": Platform.staffApiKey }
      })
      expectError(reply, { status: 404, tag: "NotFound", field: "orderId", mentions: unknownOrderId })
    })
  })

  it.each(customerCalls)("$name with wrong token is 401", async ({ method, path }) => {
    await expectOrderUnchanged(orderId, async () => {
      const reply = await send(method, path(orderId), { headers: bearer(`${accessToken}x`) })
      expectError(reply, { status: 401, tag: "Unauthorized", mentions: "access token" })
    })
  })

  it.each(customerCalls)("$name without Authorization is 401", async ({ method, path }) => {
    await expectOrderUnchanged(orderId, async () => {
      const reply = await send(method, path(orderId))
      expectError(reply, { status: 401, tag: "Unauthorized", mentions: "access token" })
    })
  })

  it("staff approve before payment is 409", async () => {
    await expectOrderUnchanged(orderId, async () => {
      const reply = await send("POST", `/v1/staff/orders/${orderId}/approve`, {
        headers: { "x-staff-key": Platform.staffApiKey }
      })
      expectError(reply, { status: 409, tag: "Conflict", field: "status", mentions: "awaiting_payment" })
    })
  })

  it.each([
    { name: "wrong", headers: { "x-staff-key": `${Platform.staffApiKey}x` } },
    { name: "missing", headers: {} }
  ])("staff approve with $name key is 401", async ({ headers }) => {
    await expectOrderUnchanged(orderId, async () => {
      const reply = await send("POST", `/v1/staff/orders/${orderId}/approve`, { headers })
      expectError(reply, { status: 401, tag: "Unauthorized", field: "X-Staff-Key", mentions: "X-Staff-Key" })
    })
  })

  it("replays the same body", async () => {
    await expectOrderUnchanged(orderId, async () => {
      const reply = await postOrder(otelco, { "idempotency-key": idempotencyKey })
      expect(reply.status).toBe(201)
      const replayed = decodeCreated(reply.body)
      expect(replayed.order.id).toBe(orderId)
      expect(replayed.accessToken).toBe(accessToken)
    })
  })

  const otherBodies = [
    { name: "another paymentMethod", body: { ...otelco, paymentMethod: "card" } },
    { name: "another carrier name", body: { ...otelco, carrier: { ...otelco.carrier, legalName: "Otelco Inc." } } }
  ]

  // A different body has another request hash, so the cluster delivers it
  // and the Order entity rejects the reused key.
  it.each(otherBodies)("rejects reused key with $name", async ({ body }) => {
    const reply = await postOrder(body, { "idempotency-key": idempotencyKey })
    expectError(reply, { status: 409, tag: "Conflict", field: "Idempotency-Key", mentions: "Idempotency-Key" })
  })

  it("keeps the order for another paymentMethod", async () => {
    await expectOrderUnchanged(orderId, () => postOrder({ ...otelco, paymentMethod: "card" }, { "idempotency-key": idempotencyKey }))
  })

  // A rejected body must not rewrite the carrier's stored profile.
  it("keeps the carrier for another carrier name", async () => {
    await expectOrderUnchanged(orderId, () =>
      postOrder({ ...otelco, carrier: { ...otelco.carrier, legalName: "Otelco Holdings LLC" } }, { "idempotency-key": idempotencyKey }))
  })
})

describe("document download", () => {
  let orderId: string
  let accessToken: string
  let documentId: string
  let downloadUrl: string
  let unreleasedStatus: number

  beforeAll(async () => {
    const created = await postOrder(otelco, { "idempotency-key": "http-bad-input-download" })
    expect(created.status).toBe(201)
    const order = decodeCreated(created.body)
    orderId = order.order.id
    accessToken = order.accessToken
    const paid = await send("POST", `/v1/orders/${orderId}/checkout`, { headers: bearer(accessToken) })
    expect(paid.status).toBe(200)
    const inReview = await eventually("the certification to await review", async () => {
      const reply = await send("GET", `/v1/orders/${orderId}`, { headers: bearer(accessToken) })
      const current = decodeOrder(reply.body)
      return current.status === "awaiting_review" ? current : undefined
    }, { attempts: 1200 })
    const document = inReview.documents[0]
    if (document === undefined) throw new Error(`order ${orderId} is awaiting review without a document`)
    documentId = document.id
    unreleasedStatus = (await send("GET", signedPath(documentId, inOneHour()), { headers: bearer(accessToken) })).status

    const approved = await send("POST", `/v1/staff/orders/${orderId}/approve`, {
      headers: { "x-staff-key": Platform.staffApiKey }
    })
    expect(approved.status).toBe(200)
    const delivered = decodeOrder((await send("GET", `/v1/orders/${orderId}`, { headers: bearer(accessToken) })).body)
    const link = delivered.documents[0]?.downloadUrl
    if (link === undefined) throw new Error(`delivered order ${orderId} lists no download link`)
    downloadUrl = link
  })

  it("withholds documents before approval", () => {
    expect(unreleasedStatus).toBe(404)
  })

  const signedPath = (document: string, expires: number) =>
    `/v1/orders/${orderId}/documents/${document}/download?expires=${expires}&signature=${
      downloadSignature(Platform.signingSecret, orderId, document, expires)
    }`
  const inOneHour = () => Math.floor(Date.now() / 1000) + 3600

  it("serves the issued link", async () => {
    const reply = await fetch(`${app.baseUrl}${downloadUrl}`, { headers: bearer(accessToken) })
    expect(reply.status).toBe(200)
  })

  it("rejects a tampered signature", async () => {
    const tampered = new URL(downloadUrl, app.baseUrl)
    tampered.searchParams.set("signature", `${tampered.searchParams.get("signature") ?? ""}x`)
    await expectOrderUnchanged(orderId, async () => {
      const reply = await send("GET", `${tampered.pathname}${tampered.search}`, { headers: bearer(accessToken) })
      expectError(reply, { status: 401, tag: "Unauthorized", field: "signature", mentions: "signature" })
    })
  })

  it("rejects an expired link", async () => {
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600
    await expectOrderUnchanged(orderId, async () => {
      const reply = await send("GET", signedPath(documentId, anHourAgo), { headers: bearer(accessToken) })
      expectError(reply, { status: 410, tag: "LinkExpired", field: "expires", mentions: "expired" })
    })
  })

  it("rejects an unknown document", async () => {
    const unknownDocument = "doc_not_on_this_order"
    await expectOrderUnchanged(orderId, async () => {
      const reply = await send("GET", signedPath(unknownDocument, inOneHour()), { headers: bearer(accessToken) })
      expectError(reply, { status: 404, tag: "NotFound", field: "documentId", mentions: unknownDocument })
    })
  })
})

describe("catalog and routes", () => {
  const PriceList = Schema.Struct({
    services: Schema.Array(Schema.Struct({ slug: Schema.String, price: Schema.Struct({ amount: Schema.optional(Schema.Int) }) }))
  })
  const Total = Schema.Struct({ total: Schema.Int })

  it("lists cpni-certification at 14900", async () => {
    const reply = await send("GET", "/v1/catalog")
    expect(reply.status).toBe(200)
    const cpni = Schema.decodeUnknownSync(PriceList)(reply.body).services.find((service) => service.slug === "cpni-certification")
    expect(cpni?.price.amount).toBe(14_900)
  })

  it("quotes cpni and rmd by card", async () => {
    const reply = await send("POST", "/v1/quotes", {
      body: JSON.stringify({ items: [{ service: "cpni-certification" }, { service: "rmd-filing" }], paymentMethod: "card" })
    })
    expect(reply.status).toBe(200)
    expect(Schema.decodeUnknownSync(Total)(reply.body).total).toBe(32_218)
  })

  it("serves the OpenAPI document", async () => {
    const reply = await send("GET", "/openapi.json")
    expect(reply.status).toBe(200)
  })

  it("answers an unknown route with 404", async () => {
    const reply = await send("GET", "/v1/no-such-route")
    expectError(reply, { status: 404, tag: "NotFound", mentions: "/v1/no-such-route" })
  })
})
