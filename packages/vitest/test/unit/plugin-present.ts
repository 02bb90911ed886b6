import { markPluginPresent } from '../../src/runtime/presence.js'

markPluginPresent()
