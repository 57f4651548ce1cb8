"""Which catalog themes each report page offers (every theme is on exactly one page)."""

PAGE_THEMES = {
    "digital_divide": ["digital_divide", "accessibility"],
    "channels": ["channel_contacts", "digital_usage", "reception_sites", "territorial_access", "staff_and_costs"],
    "satisfaction": ["satisfaction", "quality_of_service", "governance"],
    "mediation": ["mediation"],
    "non_take_up": ["non_take_up", "other"],
}
