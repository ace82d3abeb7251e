/** Golden text of the Robocall Mitigation Database certification summary: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("rmd-certification")
