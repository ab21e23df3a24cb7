x = client.create(model="m")
