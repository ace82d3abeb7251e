/**
 * The cluster page: registered runners, the shards each holder has locked
 * per shard group, and requests to entities that are pending or whose final
 * reply is a failure. Every empty table is replaced by a sentence saying so.
 */
import { escapeHtml } from "../HtmlText.ts"
import { formatTime } from "./AdminFormat.ts"
import type { FailedMessage, PendingMessage, RunnerListing, ShardHolding } from "./queries/ClusterQuery.ts"

/** Most pending, and most failed, messages the page lists. */
export const messagesLimit = 100

/** Data of the cluster page. */
export interface ClusterState {
  readonly runners: ReadonlyArray<RunnerListing>
  /** The cluster's shard groups, each listed even when no holder has its shards. */
  readonly shardGroups: ReadonlyArray<string>
  readonly holdings: ReadonlyArray<ShardHolding>
  readonly pending: ReadonlyArray<PendingMessage>
  readonly failed: ReadonlyArray<FailedMessage>
}

const table = (id: string, caption: string, headers: ReadonlyArray<string>, rows: ReadonlyArray<string>): string => `<table id="${id}">
<caption>${escapeHtml(caption)}</caption>
<thead><tr>${headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join("")}</tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`

const runnerRow = (runner: RunnerListing): string => `<tr>
<th scope="row">${escapeHtml(runner.address)}</th>
<td>${runner.machineId}</td>
<td>${escapeHtml(runner.groups.join(", "))}</td>
<td>${runner.weight}</td>
<td>${runner.healthy ? "Yes" : "No"}</td>
<td>${escapeHtml(formatTime(runner.lastHeartbeat))}</td>
</tr>`

const groupRows = (group: string, holdings: ReadonlyArray<ShardHolding>): ReadonlyArray<string> => {
  const own = holdings.filter((holding) => holding.group === group)
  if (own.length === 0) return [`<tr><th scope="row">${escapeHtml(group)}</th><td colspan="3">No holder has locked a shard of this group.</td></tr>`]
  return own.map((holding) => `<tr>
<th scope="row">${escapeHtml(group)}</th>
<td>${escapeHtml(holding.holder)}</td>
<td>${holding.lock === "advisory" ? "PostgreSQL advisory lock" : "cluster_locks table"}</td>
<td>${holding.shards}</td>
</tr>`)
}

const pendingRow = (message: PendingMessage): string => `<tr>
<th scope="row">${escapeHtml(message.id)}</th>
<td>${escapeHtml(message.entityType)}</td>
<td>${escapeHtml(message.entityId)}</td>
<td>${escapeHtml(message.tag)}</td>
<td>${escapeHtml(message.shardId)}</td>
<td>${message.deliverAt === undefined ? "Now" : escapeHtml(formatTime(message.deliverAt))}</td>
<td>${message.lastRead === undefined ? "Never" : escapeHtml(formatTime(message.lastRead))}</td>
</tr>`

const failedRow = (message: FailedMessage): string => `<tr>
<th scope="row">${escapeHtml(message.id)}</th>
<td>${escapeHtml(message.entityType)}</td>
<td>${escapeHtml(message.entityId)}</td>
<td>${escapeHtml(message.tag)}</td>
<td>${escapeHtml(message.shardId)}</td>
<td><code class="failure">${escapeHtml(message.failure)}</code></td>
</tr>`

const limitNote = (count: number, what: string): string =>
  count === messagesLimit ? `<p class="hint">Only ${messagesLimit} ${what} are shown.</p>` : ""

/** Renders the cluster page body for `state`. */
export const renderCluster = (state: ClusterState): string => {
  const groups = [...new Set([...state.shardGroups, ...state.holdings.map((holding) => holding.group)])].sort()
  const runners = state.runners.length === 0
    ? `<p id="no-runners">No runners are registered.</p>`
    : table("runners", "Registered runners, by address", ["Address", "Machine id", "Shard groups", "Weight", "Healthy", "Last heartbeat"], state.runners.map(runnerRow))
  const shards = table("shards", "Locked shards per shard group and holder", ["Shard group", "Holder", "Lock", "Shards"], groups.flatMap((group) => groupRows(group, state.holdings)))
  const pending = state.pending.length === 0
    ? `<p id="no-pending">No messages are pending.</p>`
    : table("pending", "Requests not processed yet, oldest first", ["Message", "Entity type", "Entity id", "Request", "Shard", "Deliver at", "Last read"], state.pending.map(pendingRow))
  const failed = state.failed.length === 0
    ? `<p id="no-failed">No messages have failed.</p>`
    : table("failed", "Requests whose final reply is a failure, newest first", ["Message", "Entity type", "Entity id", "Request", "Shard", "Failure"], state.failed.map(failedRow))
  return `<h2>Runners</h2>
${runners}
<h2>Shard assignment</h2>
<p class="hint">With PostgreSQL advisory locks the holder is the database session holding the locks, because those locks do not record the runner.</p>
${shards}
<h2>Pending messages</h2>
${pending}
${limitNote(state.pending.length, "pending messages")}
<h2>Failed messages</h2>
${failed}
${limitNote(state.failed.length, "failed messages, the newest")}`
}
