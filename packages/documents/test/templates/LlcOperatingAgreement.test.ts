/** Golden text of the LLC operating agreement: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("llc-operating-agreement")
