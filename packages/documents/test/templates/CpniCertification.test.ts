/** Golden text of the CPNI certification: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("cpni-certification")
