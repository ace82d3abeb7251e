/** Golden text of the CRTC registration letter: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("crtc-registration-letter")
