import { Layer } from "effect"
import { ContractServer, objectStoreContract } from "./support/ObjectStoreContract.ts"
import * as SwiftServer from "./support/SwiftServer.ts"

/** A one-node OpenStack Swift with the S3 API, started once for the file. */
const Swift = Layer.scoped(ContractServer, SwiftServer.start())

objectStoreContract("ObjectStore on OpenStack Swift", Swift, { verifiesSignatures: true })
