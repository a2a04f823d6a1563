"""Safety: "Report a problem" on every profile and introduction, and how coordinators
handle reports.

alerts: filing a report (from the form, or an introduction closed for conduct), which
alerts every coordinator at once. service: what a coordinator does with it (suspend the
reported account while looking into it, then close it with an outcome). views, forms: the
report pages for everyone; the coordinator's pages are in mentormatch/coordinator/.
"""
