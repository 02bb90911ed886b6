#!/usr/bin/env node
import { runMain } from 'citty'
import { main } from './index.js'

runMain(main)
