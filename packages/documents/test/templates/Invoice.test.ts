/** Golden text of the invoice: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("invoice")
