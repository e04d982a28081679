package hubspot

// The standard CRM object types beyond the first thirteen: every type whose
// API in HubSpot's spec collection
// (github.com/HubSpot/HubSpot-public-api-spec-collection,
// PublicApiSpecs/CRM/<Name>/Rollouts/<n>/<version>/<name>.json) is the
// objects API (/crm/objects/{version}/{type}, /crm/v3/objects/{type}).
//
// What each row takes from where:
//   - Operations: the paths and methods of the newest version that is not a
//     beta (2026-09; 2026-03 for projects, which has no other). Read
//     together with the v3 and 2026-03 specs of the same folder, which differ
//     for three types, noted at their rows.
//   - Type ids: the "Object type ID values" table of
//     https://developers.hubspot.com/docs/guides/crm/using-object-apis
//     (leads 0-136, invoices 0-53, orders 0-123, carts 0-142, discounts
//     0-84, fees 0-85, taxes 0-86, appointments 0-421, courses 0-410,
//     listings 0-420, services 0-162, payments 0-101, subscriptions 0-69,
//     communications 0-18, postal mail 0-116, users 0-115, goals 0-74,
//     projects 0-970); contracts' 0-721 from
//     https://developers.hubspot.com/docs/api-reference/crm-contracts-v3/guide.
//   - Names: the name the paths take in the v3 and 2026-03 specs
//     (/crm/v3/objects/leads, /crm/objects/2026-03/goal_targets) or, for
//     the types whose specs write the type id (courses, listings,
//     services, appointments), in the type's guide
//     (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/courses/guide:
//     "POST /crm/objects/2026-03/courses").
//   - Created and last-modified properties: HubSpot documents them for
//     none of these types but payments (the v3 Payments spec's examples:
//     createdate, hs_lastmodifieddate). For every other row they are a
//     guess: hs_createdate and hs_lastmodifieddate, which the types added
//     after the first CRM objects have (quotes, the engagements, and
//     feedback submissions, whose docs name them:
//     https://developers.hubspot.com/docs/api/crm/feedback-submissions).
//
// Left out: Forecasts (its guide calls it a beta, and its spec has list and
// read only, no search to read changes by), Payments' v3-only read API
// (the same type as commerce_payments: "payments" is an alias below),
// Bucket_Test111 (a test entry), and every folder that is no objects API
// (Pipelines, Properties, Lists, Imports, Exports, Owners, Schemas,
// Associations, Timeline, Object Library, ...), and the types with beta
// specs only (Forecast Submissions, Object Tags, Tasks Series, Price
// Books, ...).
func libraryObjects() []Resource {
	// guessed is a type whose created and modified properties no
	// document names (see above).
	guessed := func(name, typeID string) Resource {
		return object(name, typeID, propHSCreateDate, propHSLastModifiedDate, nil)
	}
	return []Resource{
		guessed("leads", "0-136"),         // Leads/Rollouts/424/2026-09/leads.json
		guessed("invoices", "0-53"),       // Invoices/Rollouts/424/2026-09/invoices.json
		guessed("orders", "0-123"),        // Orders/Rollouts/424/2026-09/orders.json
		guessed("carts", "0-142"),         // Carts/Rollouts/424/2026-09/carts.json
		guessed("discounts", "0-84"),      // Discounts/Rollouts/424/2026-09/discounts.json
		guessed("fees", "0-85"),           // Fees/Rollouts/424/2026-09/fees.json
		guessed("taxes", "0-86"),          // Taxes/Rollouts/424/2026-09/taxes.json
		guessed("appointments", "0-421"),  // Appointments/Rollouts/424/2026-09/appointments.json (also a merge path, not used)
		guessed("courses", "0-410"),       // Courses/Rollouts/424/2026-09/courses.json
		guessed("listings", "0-420"),      // Listings/Rollouts/424/2026-09/listings.json
		guessed("services", "0-162"),      // Services/Rollouts/424/2026-09/services.json
		guessed("subscriptions", "0-69"),  // Commerce Subscriptions/Rollouts/206901/2026-09/commerceSubscriptions.json
		guessed("communications", "0-18"), // Communications/Rollouts/424/2026-09/communications.json
		guessed("postal_mail", "0-116"),   // Postal Mail/Rollouts/424/2026-09/postalMail.json
		guessed("users", "0-115"),         // Users/Rollouts/424/2026-09/users.json
		guessed("projects", "0-970"),      // Projects/Rollouts/260890/2026-03/projects.json (2026-09 only as a beta)
		// Contracts/Rollouts/424/2026-09/contracts.json has every call; its
		// v3 and 2026-03 specs list, read and batch-read only (no search,
		// no writes).
		guessed("contracts", "0-721"),
		// Commerce Payments/Rollouts/424/2026-09/commercePayments.json
		// ("COMMERCE_PAYMENT or 0-101"); the v3-only Payments spec
		// (Payments/Rollouts/424/v3/payments.json) reads the same type as
		// /crm/v3/objects/payments and shows createdate and
		// hs_lastmodifieddate in its examples.
		withAliases(object("commerce_payments", "0-101", propCreateDate, propHSLastModifiedDate, nil), "payments"),
		// Goal Targets/Rollouts/424/2026-09/goalTargets.json has no batch
		// upsert (its v3 and 2026-03 specs have one).
		withOps(guessed("goal_targets", "0-74"), crudOps&^OpUpsert),
		// Partner Clients/Rollouts/424/2026-09/partnerClients.json and
		// Partner Services/Rollouts/424/2026-09/partnerServices.json: list,
		// read, search, update and batch update; no create, archive or
		// upsert. No document found names their type ids: none is given
		// (a guess, rather than one that may be another type's), so only
		// the name finds them.
		withOps(guessed("partner_clients", ""), readOps|OpUpdate),
		withOps(guessed("partner_services", ""), readOps|OpUpdate),
	}
}

func withOps(r Resource, ops Ops) Resource {
	r.Ops = ops
	return r
}

func withAliases(r Resource, aliases ...string) Resource {
	r.Aliases = aliases
	return r
}
