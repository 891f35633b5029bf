"""Content digests: a periodic e-mail of new approved content for each employee, at the
frequency they choose (the organization sets the default), with one-tap share links and
a one-click unsubscribe. Its own Django app (label `digests`) inside the campaigns
package, so its migrations never collide with the campaigns app's."""
