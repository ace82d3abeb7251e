/**
 * Handlers of the customers group: staff create customers, and create and
 * revoke their API keys for the MCP server.
 */
import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { PlatformApi } from "@pw/api/Api"
import { NotFound } from "@pw/api/ApiErrors"
import { CreatedApiKey, CreatedCustomer } from "@pw/api/CustomersGroup"
import { StaffMember } from "@pw/api/Security"
import { Effect, Option, Redacted } from "effect"
import { createApiKey, createCustomer, revokeApiKey } from "./CustomerStore.ts"

/** The customers group's handlers. Needs PostgreSQL. */
export const CustomersHttp = HttpApiBuilder.group(PlatformApi, "customers", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const withSql = Effect.provideService(SqlClient.SqlClient, sql)

    const customerNotFound = (customerId: string) =>
      new NotFound({ message: `customer ${customerId} not found; use the customerId returned when the customer was created`, field: "customerId" })

    return handlers
      .handle("createCustomer", ({ payload }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          const customerId = yield* withSql(createCustomer(payload, staff.name))
          yield* Effect.annotateLogs(Effect.logInfo("customer created"), { customerId, carriers: payload.frns.length })
          return new CreatedCustomer({ customerId })
        }))
      .handle("createApiKey", ({ path }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          const created = yield* withSql(createApiKey(path.customerId, staff.name))
          if (Option.isNone(created)) return yield* customerNotFound(path.customerId)
          yield* Effect.annotateLogs(Effect.logInfo("customer API key created"), { customerId: path.customerId, keyId: created.value.keyId })
          return new CreatedApiKey({ keyId: created.value.keyId, apiKey: Redacted.value(created.value.apiKey) })
        }))
      .handle("revokeApiKey", ({ path }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          const revoked = yield* withSql(revokeApiKey(path.customerId, path.keyId, staff.name))
          if (Option.isNone(revoked)) {
            return yield* new NotFound({
              message: `API key ${path.keyId} not found for customer ${path.customerId}; use the keyId returned when the key was created`,
              field: "keyId"
            })
          }
          yield* Effect.annotateLogs(Effect.logInfo("customer API key revoked"), { customerId: path.customerId, keyId: path.keyId })
          return revoked.value
        }))
  }))
