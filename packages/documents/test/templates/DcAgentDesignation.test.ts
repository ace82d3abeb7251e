/** Golden text of the D.C. agent designation: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("dc-agent-designation")
