/*
 * The start-up bench's "before": the same app with the sandbox's code loaded at start, as
 * the main bundle did while it imported the sandbox statically.
 */
import '../../sandbox/index'
import './app'
