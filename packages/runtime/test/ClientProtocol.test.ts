import { RunnerAddress, Runners } from "@effect/cluster"
import { NodeClusterSocket, NodeSocketServer } from "@effect/platform-node"
import { SocketServer } from "@effect/platform"
import { Rpc, RpcClient, RpcGroup, RpcSerialization, RpcServer } from "@effect/rpc"
import type { FromServerEncoded } from "@effect/rpc/RpcMessage"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Deferred, Effect, Exit, Fiber, FiberId, Layer, Schema, Scope } from "effect"
import * as ClientProtocol from "../src/ClientProtocol.ts"

const encodeExit = Schema.encodeSync(Schema.Exit({ success: Schema.String, failure: Schema.String, defect: Schema.Defect }))

const exitResponse = (exit: Exit.Exit<string, string>): FromServerEncoded => ({
  _tag: "Exit",
  requestId: "1",
  exit: encodeExit(exit)
})

const transient = RpcServer.fiberIdTransientInterrupt

describe("ClientProtocol.isRunnerStopExit", () => {
  it("matches a transient interruption", () => {
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.interrupt(transient)))).toBe(true)
  })

  it("matches combined transient interruptions", () => {
    const cause = Cause.parallel(Cause.interrupt(transient), Cause.sequential(Cause.interrupt(transient), Cause.empty))
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.failCause(cause)))).toBe(true)
  })

  it("skips client and anonymous interruptions", () => {
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.interrupt(RpcServer.fiberIdClientInterrupt)))).toBe(false)
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.interrupt(FiberId.none)))).toBe(false)
  })

  it("skips failures, defects and successes", () => {
    const mixed = Cause.parallel(Cause.interrupt(transient), Cause.fail("declined"))
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.failCause(mixed)))).toBe(false)
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.die(new Error("handler crashed"))))).toBe(false)
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.fail("declined")))).toBe(false)
    expect(ClientProtocol.isRunnerStopExit(exitResponse(Exit.succeed("done")))).toBe(false)
    expect(ClientProtocol.isRunnerStopExit({ _tag: "Chunk", requestId: "1", values: ["a"] })).toBe(false)
  })
})

/** A request the server never completes on its own. */
class Wait extends Rpc.make("Wait", { success: Schema.String }) {}
const WaitGroup = RpcGroup.make(Wait)

/**
 * Serves `WaitGroup` on a free loopback port in its own scope, and resolves
 * `received` once a request is being handled.
 */
const startServer = (received: Deferred.Deferred<void>) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const handlers = WaitGroup.toLayer({ Wait: () => Effect.zipRight(Deferred.succeed(received, undefined), Effect.never) })
    const layer = RpcServer.layer(WaitGroup).pipe(
      Layer.provide(handlers),
      Layer.provide(RpcServer.layerProtocolSocketServer),
      Layer.provideMerge(NodeSocketServer.layer({ host: "127.0.0.1", port: 0 })),
      Layer.provide(RpcSerialization.layerMsgPack)
    )
    const context = yield* Layer.buildWithScope(layer, scope)
    const address = Context.get(context, SocketServer.SocketServer).address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("the test server has no TCP address")
    return { scope, port: address.port }
  })

/**
 * Sends `Wait` through the cluster client protocol from `protocolLayer`,
 * stops the server while the request is in flight, and returns how the
 * request ended.
 */
const waitThenStopServer = (protocolLayer: Layer.Layer<Runners.RpcClientProtocol, never, RpcSerialization.RpcSerialization>) =>
  Effect.gen(function*() {
    const received = yield* Deferred.make<void>()
    const server = yield* startServer(received)
    const makeProtocol = yield* Runners.RpcClientProtocol
    const protocol = yield* makeProtocol(RunnerAddress.make("127.0.0.1", server.port))
    const client = yield* RpcClient.make(WaitGroup).pipe(Effect.provideService(RpcClient.Protocol, protocol))
    const call = yield* Effect.fork(client.Wait())
    yield* Deferred.await(received)
    yield* Scope.close(server.scope, Exit.void)
    return { exit: yield* Fiber.await(call), port: server.port }
  }).pipe(Effect.scoped, Effect.provide(protocolLayer.pipe(Layer.provide(RpcSerialization.layerMsgPack))))

describe("ClientProtocol.layer", () => {
  it.live("upstream protocol: request ends interrupted", () =>
    Effect.gen(function*() {
      const { exit } = yield* waitThenStopServer(NodeClusterSocket.layerClientProtocol)
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isSuccess(exit)) return
      expect(Cause.isInterruptedOnly(exit.cause)).toBe(true)
    }))

  it.live("wrapped protocol: request fails with client error", () =>
    Effect.gen(function*() {
      const { exit, port } = yield* waitThenStopServer(ClientProtocol.layer)
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isSuccess(exit)) return
      expect(Cause.isInterruptedOnly(exit.cause)).toBe(false)
      const error = Cause.failureOption(exit.cause)
      expect(error._tag).toBe("Some")
      if (error._tag === "None") return
      expect(error.value._tag).toBe("RpcClientError")
      expect(error.value.message).toBe(`Runner 127.0.0.1:${port} stopped while serving the request`)
    }))
})
