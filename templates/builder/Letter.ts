/**
 * Parts of a business letter from a company to the CRTC: the sender's block,
 * the addressee block and the closing with its signature.
 */
import { bold, type Content, paragraph, signature } from "./Blocks.ts"

/** Sender's name and address, then the date, each from a placeholder. */
export const letterHead = (name: string, address: string, date: string): ReadonlyArray<string> => [
  paragraph(bold(name), { style: "Field" }),
  paragraph(address, { style: "Field" }),
  paragraph(date, { style: "Section" })
]

/** The address of the Secretary General of the Canadian Radio-television and Telecommunications Commission. */
export const secretaryGeneral: ReadonlyArray<string> = [
  paragraph("Secretary General", { style: "Field" }),
  paragraph("Canadian Radio-television and Telecommunications Commission", { style: "Field" }),
  paragraph("Ottawa, Ontario K1A 0N2", { style: "Field" })
]

/** The subject line, bold, after the addressee. */
export const subjectLine = (text: string): string => paragraph(bold(`Re: ${text}`), { style: "Section" })

/** The salutation. */
export const salutation = (text: string): string => paragraph(text, { style: "Section" })

/** "Yours truly," and a signature line above the signer's name and title. */
export const closing = (signer: Content): ReadonlyArray<string> => [
  paragraph("Yours truly,", { style: "Section", keepNext: true }),
  ...signature(signer)
]
