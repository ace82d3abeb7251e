/**
 * Findings that no public bulk data covers: the CPNI certification, known only
 * from the platform's own records, and the Broadband Data Collection, which
 * depends on what the carrier offers.
 */
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import type { FrnRecords } from "@pw/fcc-data/FccDataStore"
import { bdcDue, type CheckCalendar, marchFirst } from "./CheckCalendar.ts"
import { Finding, FindingQuestion, Remedy } from "./FccCheckReport.ts"
import * as Sources from "./FindingSources.ts"

const cpniRule = "47 CFR 64.2009(e); FCC DA 09-240: an officer signs the CPNI compliance certificate, with the operating procedures statement, actions against data brokers and a summary of customer complaints, and it is filed in EB Docket No. 06-36 by March 1 for the prior calendar year."
const bdcRule = "FCC DA 22-1372: facilities-based broadband providers file availability data, and voice providers subscription data, in the Broadband Data Collection by March 1 (data as of December 31) and September 1 (data as of June 30), the next business day when either falls on a weekend or holiday."

/** CPNI: `ok` only when the platform delivered or completed the certification due last; otherwise unknown. */
export const cpniFinding = (records: FrnRecords, today: LocalDate, calendar: CheckCalendar): Finding => {
  const base = { key: "cpni-certification" as const, title: "CPNI annual certification", rule: cpniRule, source: Sources.platformRecords }
  const lastDue = calendar.lastDue(today, marchFirst)
  const nextDue = calendar.nextDue(today, marchFirst)
  const coveredYear = Number(lastDue.slice(0, 4)) - 1
  const delivered = records.cpni_orders.find((order) => order.status === "delivered" && (order.calendar_year ?? 0) >= coveredYear)
  const completed = records.cpni_entries.find((entry) => entry.status === "completed" && entry.due_date >= lastDue)
  if (delivered !== undefined || completed !== undefined) {
    return new Finding({
      ...base,
      status: "ok",
      dueDate: nextDue,
      explanation: delivered !== undefined
        ? `Performance West prepared the certification for ${delivered.calendar_year} (order ${delivered.id}). The next one is due ${nextDue}.`
        : `The compliance calendar shows the certification due ${lastDue} completed. The next one is due ${nextDue}.`,
      ...(delivered === undefined ? {} : { facts: { orderId: delivered.id } })
    })
  }
  return new Finding({
    ...base,
    status: "unknown",
    dueDate: nextDue,
    explanation: `The FCC publishes no bulk data of CPNI certifications, and Performance West's records show none for ${coveredYear}, so whether the certification due ${lastDue} was filed cannot be told here. The next one, for ${coveredYear + 1}, is due ${nextDue}.`,
    remedy: new Remedy({ service: "cpni-certification", name: "CPNI annual certification" })
  })
}

/** Answers to the Broadband Data Collection questions, when given. */
export interface BdcAnswers {
  readonly broadband?: boolean | undefined
  readonly voice?: boolean | undefined
}

const broadbandQuestion = "Does the carrier provide broadband internet access service (fixed or mobile) over its own facilities? Answer with broadband=yes or broadband=no."
const voiceQuestion = "Does the carrier provide voice service (interconnected VoIP or local exchange) to end users? Answer with voice=yes or voice=no."

/** Broadband Data Collection as two questions: broadband first, then voice. */
export const bdcFinding = (answers: BdcAnswers, today: LocalDate, calendar: CheckCalendar): Finding => {
  const base = { key: "broadband-data-collection" as const, title: "Broadband Data Collection", rule: bdcRule, source: Sources.carrierAnswers }
  const nextDue = calendar.nextDue(today, bdcDue)
  const asked = (parameter: string, text: string, answer: boolean | undefined) =>
    new FindingQuestion({ parameter, text, ...(answer === undefined ? {} : { answer }) })
  if (answers.broadband === undefined) {
    return new Finding({
      ...base,
      status: "question",
      dueDate: nextDue,
      explanation: `Whether the carrier files depends on what it offers; answer the broadband question first. The next filing is due ${nextDue}.`,
      questions: [
        asked("broadband", broadbandQuestion, undefined),
        // A voice reply sent before the broadband one is kept and shown.
        ...(answers.voice === undefined ? [] : [asked("voice", voiceQuestion, answers.voice)])
      ]
    })
  }
  const questions = [asked("broadband", broadbandQuestion, answers.broadband), asked("voice", voiceQuestion, answers.voice)]
  if (answers.voice === undefined) {
    return new Finding({
      ...base,
      status: "question",
      dueDate: nextDue,
      explanation: `Broadband answered; answer the voice question too. The next filing is due ${nextDue}.`,
      questions
    })
  }
  if (!answers.broadband && !answers.voice) {
    return new Finding({
      ...base,
      status: "not_applicable",
      explanation: "A carrier offering neither broadband nor voice service files no Broadband Data Collection.",
      questions
    })
  }
  const remedy = answers.broadband && answers.voice
    ? new Remedy({ service: "bdc-filing", name: "Broadband Data Collection" })
    : answers.broadband
    ? new Remedy({ service: "bdc-broadband", name: "Broadband Data Collection: broadband" })
    : new Remedy({ service: "bdc-voice", name: "Broadband Data Collection: voice" })
  const parts = [answers.broadband ? "broadband availability" : undefined, answers.voice ? "voice subscriptions" : undefined]
    .filter((part) => part !== undefined)
    .join(" and ")
  return new Finding({
    ...base,
    status: "action_needed",
    dueDate: nextDue,
    explanation: `The carrier files ${parts} in each Broadband Data Collection; the next is due ${nextDue}. BDC filings are not in any public bulk data, so past filings cannot be confirmed here.`,
    remedy,
    questions
  })
}
