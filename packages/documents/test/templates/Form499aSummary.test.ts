/** Golden text of the Form 499-A filing summary: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("form-499a-summary")
