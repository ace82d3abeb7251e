/** Golden text of the formation summary: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("formation-summary")
