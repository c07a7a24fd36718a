# A plan tier is imported by its ID.
terraform import rocketchat_plan_tier.eu pln-0123
