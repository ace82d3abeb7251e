/** Golden text of the CALEA system security and integrity plan: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("calea-ssi-plan")
