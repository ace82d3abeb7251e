/** Golden text of the BITS licence application cover letter: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("bits-licence-cover-letter")
