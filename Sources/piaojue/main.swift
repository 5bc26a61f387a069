import Foundation
import PiaojueCLI

exit(PiaojueMain.run())
