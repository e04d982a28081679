package main

import "time"

// seedAge is how long before the source starts the wide steps' contacts
// were last modified, on the simulator's clock. A real account's snapshot
// finds most objects last modified long before it starts, while contacts
// seeded just before the start all fall within the source's look-back
// window, where the snapshot digests each one to tell versions apart
// (item.sum: 12.6 % of the plugin's CPU in pluginCPU's profile when every
// contact did).
const seedAge = time.Hour
