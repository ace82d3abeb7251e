/**
 * The socket protocol one cluster node uses to call another, with one change
 * to how responses from a stopping runner are read.
 *
 * A runner that stops (or drops a connection) interrupts every request it is
 * still serving and sends each caller an exit whose cause is an interruption
 * by the RPC server's transient fiber id. @effect/cluster 0.60 passes that
 * interruption on to the code that sent the entity message, which then ends
 * interrupted although a persisted message is safe in storage and will run
 * on the shard's next runner. Here such an exit becomes a protocol error for
 * the connection's requests in flight, which the cluster reads as "runner
 * unavailable". A persisted message then waits for its reply in storage, and
 * other messages are sent again once the shard has moved.
 */
import { Runners } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { RpcClientError } from "@effect/rpc/RpcClientError"
import type { FromServerEncoded } from "@effect/rpc/RpcMessage"
import { type RpcSerialization, RpcServer } from "@effect/rpc"
import { Cause, Effect, FiberId, Layer, Option, Schema } from "effect"

const decodeCause = Schema.decodeUnknownOption(Schema.Cause({ error: Schema.Unknown, defect: Schema.Unknown }))

/** Checks that a fiber id names only the RPC server's transient interruption. */
const isTransientFiberId = (fiberId: FiberId.FiberId): boolean => {
  const ids = [...FiberId.ids(fiberId)]
  return ids.length > 0 && ids.every((id) => id === RpcServer.fiberIdTransientInterrupt.id)
}

/**
 * Checks that an encoded cause contains interruptions by the transient fiber
 * id and nothing else: no failure, no defect, no other interruptor.
 */
const isTransientInterruption = (encoded: unknown): boolean =>
  Option.match(decodeCause(encoded), {
    onNone: () => false,
    onSome: (cause) => {
      const interruptors = [...Cause.interruptors(cause)]
      return Cause.isInterruptedOnly(cause) && interruptors.length > 0 && interruptors.every(isTransientFiberId)
    }
  })

/** Checks whether `response` is a stopping runner's interruption of a request. */
export const isRunnerStopExit = (response: FromServerEncoded): boolean =>
  response._tag === "Exit" && response.exit._tag === "Failure" && isTransientInterruption(response.exit.cause)

const runnerStopped = (address: string): FromServerEncoded => ({
  _tag: "ClientProtocolError",
  error: new RpcClientError({ reason: "Protocol", message: `Runner ${address} stopped while serving the request` })
})

/**
 * The cluster's socket client protocol, with a stopping runner's
 * interruptions turned into a protocol error for the connection's requests.
 */
export const layer: Layer.Layer<Runners.RpcClientProtocol, never, RpcSerialization.RpcSerialization> = Layer.effect(
  Runners.RpcClientProtocol,
  Effect.map(Runners.RpcClientProtocol, (makeProtocol) => (address) =>
    Effect.map(makeProtocol(address), (protocol) => ({
      ...protocol,
      run: (onResponse) =>
        protocol.run((response) => {
          if (!isRunnerStopExit(response)) return onResponse(response)
          const runner = `${address.host}:${address.port}`
          return Effect.annotateLogs(Effect.logDebug("Runner stopped while serving a request"), { runner }).pipe(
            Effect.zipRight(onResponse(runnerStopped(runner)))
          )
        })
    })))
).pipe(Layer.provide(NodeClusterSocket.layerClientProtocol))
