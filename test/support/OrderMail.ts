/**
 * Waits for an order's e-mails to leave the outbox and reach the SMTP sink.
 */
import type { ReceivedMail } from "../doubles/SmtpSink.ts"
import type { GatewayPlatform } from "./GatewayPlatform.ts"
import { outboxOf } from "./PaymentRows.ts"
import { eventually } from "./PlatformProcess.ts"

/**
 * Waits until every outbox row of the order is sent and one of them is of
 * `kind`, then returns the messages the sink received with that row's
 * Message-ID: one when the e-mail was queued and sent once.
 */
export const deliveredMail = async (
  platform: GatewayPlatform,
  orderId: string,
  kind: string
): Promise<ReadonlyArray<ReceivedMail>> => {
  const rows = await eventually(`the ${kind} e-mail of order ${orderId} to be sent`, async () => {
    const outbox = await platform.run(outboxOf(orderId))
    return outbox.some((row) => row.kind === kind) && outbox.every((row) => row.sent) ? outbox : undefined
  })
  const messageIds = new Set(rows.filter((row) => row.kind === kind).map((row) => row.message_id))
  const received = await platform.run(platform.smtp.received)
  return received.filter((mail) => mail.messageId !== undefined && messageIds.has(mail.messageId))
}
