/** Golden text of the receipt: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("receipt")
