/** Golden text of the binder cover: every value of its sample appears in the PDF. */
import { describeSampleText } from "./SampleText.ts"

describeSampleText("binder-cover")
