print("piaojue")
